"""The curriculum: course files in courses/ read, checked and imported into the database."""
