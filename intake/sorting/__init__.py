"""Deciding what a message is and what it answers.

Owns sorting a message as the desk does (:mod:`.sortmail`: relayed letters by
:mod:`.relays`, forwarded ones by :mod:`.forwards`, the language by
:mod:`.languages`), the classifier (:mod:`.classify`) and its signals (:mod:`.letterscore` for
human text, :mod:`.machinemail` for robots), finding the article a letter answers
(:mod:`.articles`, :mod:`.fuzzytitles`, :mod:`.datecues`), the letters policy
(:mod:`.policy`) and what must never be answered automatically (:mod:`.loopguard`).  Pure: imports only :mod:`intake.domain`, :mod:`intake.mail`
and :mod:`intake.printing`; no database, no I/O.
"""
