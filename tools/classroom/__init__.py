"""The classroom pack: student and instructor editions, student notebooks, assignments.

Everything here is generated from the chapters as they are (see ``source``), so a new
chapter is covered without new code:

* ``source``: reads a chapter's exercises, solutions and checks from its notebook;
* ``markdown``: turns MyST-only markup into plain Markdown a notebook shows;
* ``notebooks``: writes the student notebook of a chapter (``make student``);
* ``assignments``: writes otter-grader master notebooks and runs ``otter assign``
  (``make assignments``);
* ``editions``: builds the student and instructor editions of the book.
"""
