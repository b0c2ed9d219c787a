<?php
// Moodle's own HTML cleaner (HTMLPurifier, as format_text() runs it where text is not trusted, or
// on a site with $CFG->forceclean) over every text of a JSON object read from stdin:
//
//   php tests/moodle/purify.php --moodle=/var/lib/moodle-harness/www < texts.json > cleaned.json
//
// Read-only: nothing is written to the site.
define('CLI_SCRIPT', true);

$moodle = '';
foreach (array_slice($argv, 1) as $arg) {
    if (preg_match('/^--moodle=(.*)$/', $arg, $m)) {
        $moodle = $m[1];
    }
}
if ($moodle === '' || !is_file("$moodle/config.php")) {
    fwrite(STDERR, "usage: php purify.php --moodle=DIR < texts.json\n");
    exit(2);
}
require("$moodle/config.php");
ob_start();  // anything Moodle prints on boot must not spoil the JSON
$texts = json_decode(stream_get_contents(STDIN), true);
$out = [];
foreach ($texts as $key => $html) {
    $out[$key] = purify_html((string)$html);
}
ob_end_clean();
echo json_encode($out, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
