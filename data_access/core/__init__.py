"""The core every other data module builds on, and which builds on none of them.

Models and the pre-aggregated tables' schema (the glossary's names), the engine and session, dialect SQL
functions, the programme's rules and counting conventions, the data set's bookkeeping keys, and the one
scope compiler (`scope`) that turns a viewer's area into a condition on whatever column a table places its
rows by. See docs/ARCHITECTURE.md for the layers.
"""
