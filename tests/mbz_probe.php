<?php
// Read-only probe of a restored course, for tests/test_mbz_moodle.py: what the harness JSON does
// not report (completion rules, course completion, every review option, combined feedback,
// grader information, case sensitivity, pass marks, legacy course files).
// Usage: php mbz_probe.php MOODLE_DIR COURSEID   -> JSON on stdout
define('CLI_SCRIPT', true);
[$_, $moodledir, $courseid] = $argv;
require($moodledir . '/config.php');
ob_start();
global $DB;
$courseid = (int)$courseid;
$course = $DB->get_record('course', ['id' => $courseid], 'id, lang, enablecompletion', MUST_EXIST);
$coursecontext = context_course::instance($courseid);
$out = ['course' => $course, 'cms' => [], 'criteria' => [], 'aggregation' => [], 'quizzes' => [],
        'legacy_files' => $DB->count_records_select('files',
            "contextid = ? AND component = 'course' AND filearea = 'legacy' AND filename <> '.'", [$coursecontext->id]),
        'page_files' => []];
$sql = "SELECT cm.id, m.name AS modname, cm.instance, cs.section, cm.completion, cm.completionview,
               cm.completiongradeitemnumber, cm.completionpassgrade
          FROM {course_modules} cm JOIN {modules} m ON m.id = cm.module
          JOIN {course_sections} cs ON cs.id = cm.section
         WHERE cm.course = ? ORDER BY cs.section, cm.id";
foreach ($DB->get_records_sql($sql, [$courseid]) as $cm) {
    if ($cm->modname === 'forum') {
        $cm->completionposts = $DB->get_field('forum', 'completionposts', ['id' => $cm->instance]);
    }
    if ($cm->modname === 'quiz') {
        $cm->completionminattempts = $DB->get_field('quiz', 'completionminattempts', ['id' => $cm->instance]);
    }
    if ($cm->modname === 'page') {
        $cm->content = $DB->get_field('page', 'content', ['id' => $cm->instance]);
        $ctx = context_module::instance($cm->id);
        foreach ($DB->get_records_select('files', "contextid = ? AND filename <> '.'", [$ctx->id], 'id',
                'id, component, filearea, filepath, filename, filesize') as $f) {
            $out['page_files'][] = ['cmid' => $cm->id] + (array)$f;
        }
    }
    $out['cms'][] = $cm;
}
foreach ($DB->get_records('course_completion_criteria', ['course' => $courseid], 'id') as $c) {
    $out['criteria'][] = ['criteriatype' => $c->criteriatype, 'module' => $c->module, 'cmid' => $c->moduleinstance];
}
$out['aggregation'] = array_values($DB->get_records('course_completion_aggr_methd', ['course' => $courseid], 'id',
    'id, criteriatype, method'));
foreach ($DB->get_records('quiz', ['course' => $courseid], 'id') as $quiz) {
    $item = $DB->get_record('grade_items', ['itemtype' => 'mod', 'itemmodule' => 'quiz', 'iteminstance' => $quiz->id]);
    $cm = get_coursemodule_from_instance('quiz', $quiz->id, $courseid);
    $q = ['name' => $quiz->name, 'cmid' => $cm->id, 'grade' => (float)$quiz->grade, 'sumgrades' => (float)$quiz->sumgrades,
          'attempts' => (int)$quiz->attempts, 'shuffleanswers' => (int)$quiz->shuffleanswers,
          'preferredbehaviour' => $quiz->preferredbehaviour, 'gradepass' => $item ? (float)$item->gradepass : null,
          'grademax' => $item ? (float)$item->grademax : null, 'slots' => []];
    foreach (['reviewattempt', 'reviewcorrectness', 'reviewmaxmarks', 'reviewmarks', 'reviewspecificfeedback',
              'reviewgeneralfeedback', 'reviewrightanswer', 'reviewoverallfeedback'] as $f) {
        $q[$f] = isset($quiz->$f) ? (int)$quiz->$f : null;
    }
    $slots = $DB->get_records_sql("
        SELECT s.slot, s.maxmark, qv.questionid, qc.name AS category, qc.contextid
          FROM {quiz_slots} s
          JOIN {question_references} qr ON qr.itemid = s.id AND qr.component = 'mod_quiz' AND qr.questionarea = 'slot'
          JOIN {question_bank_entries} qbe ON qbe.id = qr.questionbankentryid
          JOIN {question_versions} qv ON qv.questionbankentryid = qbe.id
          JOIN {question_categories} qc ON qc.id = qbe.questioncategoryid
         WHERE s.quizid = ? ORDER BY s.slot", [$quiz->id]);
    foreach ($slots as $slot) {
        $question = $DB->get_record('question', ['id' => $slot->questionid]);
        $entry = ['slot' => (int)$slot->slot, 'maxmark' => (float)$slot->maxmark, 'category' => $slot->category,
                  'category_context' => context::instance_by_id($slot->contextid)->get_context_name(false, true),
                  'qtype' => $question->qtype, 'defaultmark' => (float)$question->defaultmark,
                  'questiontext' => $question->questiontext, 'generalfeedback' => $question->generalfeedback,
                  'answers' => []];
        foreach ($DB->get_records('question_answers', ['question' => $question->id], 'id') as $a) {
            $entry['answers'][] = ['text' => $a->answer, 'fraction' => (float)$a->fraction, 'feedback' => $a->feedback];
        }
        if ($question->qtype === 'multichoice') {
            $o = $DB->get_record('qtype_multichoice_options', ['questionid' => $question->id]);
            $entry['options'] = ['single' => (int)$o->single, 'correctfeedback' => $o->correctfeedback,
                'partiallycorrectfeedback' => $o->partiallycorrectfeedback, 'incorrectfeedback' => $o->incorrectfeedback,
                'shownumcorrect' => (int)$o->shownumcorrect];
        } else if ($question->qtype === 'shortanswer') {
            $entry['options'] = ['usecase' => (int)$DB->get_field('qtype_shortanswer_options', 'usecase',
                ['questionid' => $question->id])];
        } else if ($question->qtype === 'essay') {
            $o = $DB->get_record('qtype_essay_options', ['questionid' => $question->id]);
            $entry['options'] = ['graderinfo' => $o->graderinfo, 'responseformat' => $o->responseformat];
        } else if ($question->qtype === 'truefalse') {
            $o = $DB->get_record('question_truefalse', ['question' => $question->id]);
            $entry['options'] = ['trueanswer' => $DB->get_field('question_answers', 'fraction', ['id' => $o->trueanswer]),
                                 'falseanswer' => $DB->get_field('question_answers', 'fraction', ['id' => $o->falseanswer])];
        }
        $q['slots'][] = $entry;
    }
    $out['quizzes'][] = $q;
}
ob_end_clean();
echo json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE), "\n";
