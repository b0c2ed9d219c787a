"""SCORM 1.2 and SCORM 2004 4th edition: one SCO page shared by both editions, two manifests."""
