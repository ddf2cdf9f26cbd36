"""Regulations as data: the file format, its validation, the presets and the cycle engine.

* ``loader.load_regulation(path)`` / ``loader.load_preset(id)`` -> ``regulation.Regulation``
* ``engine.compute_schedule(...)`` -> the conversations due for one employee and period

No models yet; storing and versioning regulations per organisation comes later.
"""
