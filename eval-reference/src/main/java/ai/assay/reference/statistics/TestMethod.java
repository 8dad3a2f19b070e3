package ai.assay.reference.statistics;

/** How a paired difference was tested; the slug appears in API responses. */
public enum TestMethod {
    /** Percentile interval and bootstrap p-value from paired resamples of the shared examples. */
    PAIRED_BOOTSTRAP("paired-bootstrap"),
    /** Exact McNemar test on the discordant pairs of a 0/1 metric, with a Wald interval for the paired difference. */
    MCNEMAR_EXACT("mcnemar-exact"),
    /** Normal approximation for a mean of several metric differences (each paired within its task). */
    PAIRED_Z("paired-z");

    private final String slug;

    TestMethod(String slug) {
        this.slug = slug;
    }

    public String slug() {
        return slug;
    }
}
