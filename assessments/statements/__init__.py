"""Fixed SQL statements for the reads and writes every caseworker page makes, written
once per process from the models' tables and columns instead of built by the ORM on each
request (which cost more than the database's answer). Values are always parameters; each
module's tests check it returns exactly what the ORM query it replaces returned."""
