"""spoorwijzer: welk spoor van arbeidsparticipatie past bij een werkplek?"""

__version__ = "0.3.0"
