/**
 * Jinja templates as Jinja2 renders them, on HubSpot's Jinjava: the translation of Jinja2 source Jinjava runs and
 * Python's methods for its expression language.
 * <p>Never: Spring, HTTP, model files or tokenizers (the worker's {@code engine.prompt} binds chat templates to
 * them).
 */
package ai.assay.reference.jinja;
