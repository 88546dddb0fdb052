/* Replaces the theme's Font Awesome script (1.5 MB, which swaps each <i class="fa-…"> icon
   for an inline SVG). The theme's own stylesheet already draws those icons from the
   Font Awesome web font, which the page loads only when it shows an icon; every icon
   button keeps its label (aria-label / title) for screen readers. See coopbook.py. */
