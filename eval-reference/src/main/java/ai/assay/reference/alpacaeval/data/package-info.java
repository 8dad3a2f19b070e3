/**
 * The inputs of alpaca_eval's length control as upstream ships them: instruction difficulties and the gamed
 * baseline rows, read from their CSV files.
 * <p>Never: downloading them (eval-core's {@code alpacaeval.data} finds and fetches the files), Spring, JDBC.
 */
package ai.assay.reference.alpacaeval.data;
