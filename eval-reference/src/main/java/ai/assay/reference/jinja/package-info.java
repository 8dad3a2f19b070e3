/**
 * Every Jinja template Assay renders, in the two dialects it reproduces ({@link
 * ai.assay.reference.jinja.JinjaDialect}), on one engine (HubSpot Jinjava) behind one entry point ({@link
 * ai.assay.reference.jinja.JinjaTemplate}): lm-evaluation-harness's task-file templates ({@code LM_EVAL}:
 * {@code doc_to_text}, {@code doc_to_target}, {@code doc_to_choice}, {@code description}) and transformers' chat
 * templates ({@code TRANSFORMERS}). The environment of each (Jinjava's setup, the Python methods, the filters,
 * tests and functions the upstream tool adds, the Jinja2-to-Jinjava translation) lives here and nowhere else;
 * callers bind their variables and render.
 *
 * <p>Never here: Spring, HTTP, database access, reading model or task files. Those belong to the callers (the
 * worker's chat template binding, the lm-eval task loader), which hand this package a template string and values.
 *
 * <p>Where Jinjava cannot be made to do what Jinja2 does (none of it used by the shipped lm-eval task files or by
 * the chat templates of the common model families):
 * <ul>
 *   <li>Python's None is not false: a document's None ({@code PyValues.NONE}, also what {@code none} is in
 *       LM_EVAL) is true in {@code {% if %}}. In TRANSFORMERS, Jinjava's null stands for both none and
 *       undefined, prints as nothing, and a variable set to none is not "defined".
 *   <li>Operators are Jinjava's, not Python's: {@code 'a' + 1} gives {@code a1} where Python raises a TypeError,
 *       {@code 'ab' * 3} is refused, {@code a and b} gives a boolean rather than an operand.
 *   <li>LM_EVAL's strict undefined covers names, dict keys and attributes, list and str indices, and attributes
 *       of str, int, float, bool, list and None values; attributes of other Java objects (a loop, a
 *       namespace) follow Jinjava.
 *   <li>Filters are Jinjava's built-ins except those defined here ({@code tojson}, {@code items},
 *       {@code regex_replace}, {@code default}): a filter both have follows Jinjava, and Jinjava has some Jinja2
 *       lacks ({@code regex_replace} exists in TRANSFORMERS too, as Jinjava's).
 *   <li>{@code loop.previtem}/{@code loop.nextitem} do not exist.
 *   <li>TRANSFORMERS is lenient about undefined values, as Jinja2's default Undefined is, but where Jinja2 raises
 *       on an attribute of an undefined value, Jinjava gives nothing.
 *   <li>TRANSFORMERS normalizes line breaks as {@code str.splitlines()} sees them ({@code \v}, {@code \f},
 *       {@code \x1c} to {@code \x1e}, {@code \x85}, U+2028 and U+2029 too), where Jinja2 3 breaks lines only at
 *       {@code \r\n}, {@code \r} and {@code \n} (as LM_EVAL does); kept so that chat renderings do not change.
 *   <li>Line numbers in engine errors count lines of the translated source.
 * </ul>
 */
package ai.assay.reference.jinja;
