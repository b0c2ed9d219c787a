"""Question banks for LMSs that take questions, not courses: Moodle XML, GIFT and a QTI 1.2 zip."""
