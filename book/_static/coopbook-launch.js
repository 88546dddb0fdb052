// "Your JupyterHub" in the launch menu of notebook pages (only when _config.yml names the
// book's repository): asks the reader for their hub's address once (remembered in this
// browser), then opens the notebook there with nbgitpuller. See book/_ext/coopbook.py.
function coopbookOpenOnJupyterHub(gitPullPath) {
  "use strict";
  var key = "coopbook-jupyterhub";
  var saved = "";
  try { saved = window.localStorage.getItem(key) || ""; } catch (error) { /* file:// */ }
  var hub = window.prompt("Address of your JupyterHub (for example https://hub.example.edu):",
                          saved || "https://");
  if (!hub) return;
  hub = hub.trim().replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(hub)) {
    window.alert("That is not a web address (it should start with https://).");
    return;
  }
  try { window.localStorage.setItem(key, hub); } catch (error) { /* file:// */ }
  window.open(hub + "/hub/user-redirect/" + gitPullPath, "_blank", "noopener");
}
