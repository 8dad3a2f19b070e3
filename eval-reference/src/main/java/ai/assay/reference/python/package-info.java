/**
 * Python's semantics where a reproduced tool's numbers or text depend on them: {@code str()} and {@code repr()} of
 * values, str methods (with Unicode's full case mappings), {@code json.dumps}, {@code ast.literal_eval}, float
 * printing and arithmetic ({@code sum}, numpy's pairwise {@code np.sum}, and {@code **2} and {@code exp} as the C
 * library Python calls on x86-64 Linux computes them), {@code random.Random} (Mersenne Twister, {@code sample},
 * {@code shuffle}), {@code strftime}, slice indices, the {@code re} module's patterns on Java's regex engine
 * ({@code PyPatterns}, which {@code PyRe}'s {@code sub} and {@code findall} run on) and what {@code json.loads}
 * accepts. The one home of Python
 * behaviour: code elsewhere that needs it calls this package instead of approximating it.
 * <p>Never: Spring, JDBC, HTTP, or anything specific to one upstream tool.
 */
package ai.assay.reference.python;
