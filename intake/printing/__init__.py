"""Turning a letter and its response into print in the house style.

Owns the text clean-up (:mod:`.boilerplate`, :mod:`.letterbody`), the signature
block and writer's details (:mod:`.signature`, :mod:`.writerdetails`), typography
(:mod:`.typography`), the house-style file (:mod:`.housestyle`), what templates
receive (:mod:`.printview`), rendering (:mod:`.render`) and the HTML sanitiser
(:mod:`.sanitise`).  Pure: imports only :mod:`intake.domain` and :mod:`intake.mail`;
no database, no I/O beyond reading its own templates.
"""
