"""cmi5 (xAPI): the SCORM page and runtime, launched by any cmi5 LMS, recording into its LRS."""
