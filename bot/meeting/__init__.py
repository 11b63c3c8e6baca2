"""The post-meeting conversation (/meet): who, the three criteria, how it went, notes,
next step, birthday, and the summary card. Every answer is saved the moment it is given."""
