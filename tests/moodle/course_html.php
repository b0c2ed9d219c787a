<?php
// Every piece of HTML a learner sees in one restored course, in full, with the files Moodle
// stored for each activity: the import harness's JSON keeps only the head of a Page.
//
//   php tests/moodle/course_html.php --moodle=/var/lib/moodle-harness/www COURSEID  > out.json
//
// Read-only: plain SELECTs through Moodle's $DB.
define('CLI_SCRIPT', true);

$moodle = '';
$courseid = 0;
foreach (array_slice($argv, 1) as $arg) {
    if (preg_match('/^--moodle=(.*)$/', $arg, $m)) {
        $moodle = $m[1];
    } else if (ctype_digit($arg)) {
        $courseid = (int)$arg;
    }
}
if ($moodle === '' || !is_file("$moodle/config.php") || !$courseid) {
    fwrite(STDERR, "usage: php course_html.php --moodle=DIR COURSEID\n");
    exit(2);
}
require("$moodle/config.php");
global $DB;
ob_start();  // anything Moodle prints on boot must not spoil the JSON

function stored_files($contextid) {
    global $DB;
    $out = [];
    foreach ($DB->get_records_sql("SELECT id, component, filearea, itemid, filepath, filename FROM {files}
                                    WHERE contextid = ? AND filename <> '.' ORDER BY id", [$contextid]) as $f) {
        $out[] = ['component' => $f->component, 'filearea' => $f->filearea,
                  'itemid' => (int)$f->itemid, 'path' => $f->filepath . $f->filename];
    }
    return $out;
}

$report = ['courseid' => $courseid, 'activities' => []];
$cms = $DB->get_records_sql(
    "SELECT cm.id, m.name AS modname, cm.instance FROM {course_modules} cm JOIN {modules} m ON m.id = cm.module
      WHERE cm.course = ? ORDER BY cm.id", [$courseid]);
foreach ($cms as $cm) {
    $context = context_module::instance($cm->id);
    $texts = [];
    if ($cm->modname === 'page') {
        $page = $DB->get_record('page', ['id' => $cm->instance]);
        $name = $page->name;
        $texts['intro'] = $page->intro;
        $texts['content'] = $page->content;
    } else if ($cm->modname === 'forum') {
        $forum = $DB->get_record('forum', ['id' => $cm->instance]);
        $name = $forum->name;
        $texts['intro'] = $forum->intro;
    } else if ($cm->modname === 'quiz') {
        $quiz = $DB->get_record('quiz', ['id' => $cm->instance]);
        $name = $quiz->name;
        $texts['intro'] = $quiz->intro;
        $questions = $DB->get_records_sql(
            "SELECT q.id, q.questiontext, q.generalfeedback FROM {quiz_slots} s
               JOIN {question_references} r ON r.itemid = s.id AND r.component = 'mod_quiz' AND r.questionarea = 'slot'
               JOIN {question_versions} v ON v.questionbankentryid = r.questionbankentryid
               JOIN {question} q ON q.id = v.questionid
              WHERE s.quizid = ? ORDER BY s.slot, v.version", [$quiz->id]);
        foreach ($questions as $q) {
            $texts["q{$q->id}.questiontext"] = $q->questiontext;
            $texts["q{$q->id}.generalfeedback"] = $q->generalfeedback;
            foreach ($DB->get_records('question_answers', ['question' => $q->id], 'id') as $a) {
                $texts["q{$q->id}.answer{$a->id}"] = $a->answer;
                $texts["q{$q->id}.answer{$a->id}.feedback"] = $a->feedback;
            }
            foreach (['qtype_multichoice_options' => 'questionid', 'qtype_essay_options' => 'questionid'] as $table => $key) {
                if ($opts = $DB->get_record($table, [$key => $q->id])) {
                    foreach (['correctfeedback', 'partiallycorrectfeedback', 'incorrectfeedback', 'graderinfo', 'responsetemplate'] as $field) {
                        if (isset($opts->$field)) {
                            $texts["q{$q->id}.$field"] = $opts->$field;
                        }
                    }
                }
            }
        }
    } else {
        continue;
    }
    $report['activities'][] = ['cmid' => (int)$cm->id, 'modname' => $cm->modname, 'name' => $name,
                               'contextid' => (int)$context->id, 'texts' => $texts,
                               'files' => stored_files($context->id)];
}
$report['course_files'] = stored_files(context_course::instance($courseid)->id);
ob_end_clean();
echo json_encode($report, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
