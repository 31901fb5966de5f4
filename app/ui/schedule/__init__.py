"""The Schedule section: the calendar (day, week, month, agenda) and its dialogs."""
