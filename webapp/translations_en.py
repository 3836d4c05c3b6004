"""Indonesian sentence -> English sentence, for everything the templates and views say."""

EN: dict[str, str] = {}
