"""The report: maps, charts, cards, slides, tables, offline HTML and the council briefing pack."""
