"""ESCO, the European classification of skills, competences, qualifications and occupations, as reference data
every module can use: the loader of the official CSV files (``manage.py esco load DIR``), label search for
pickers in the user's language, and the mapping of free-text skills to ESCO concepts.

"This service uses the ESCO classification of the European Commission."
"""
