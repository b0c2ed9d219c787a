"""Moodle course backup (``.mbz``): the course as a Moodle teacher would have built it."""
