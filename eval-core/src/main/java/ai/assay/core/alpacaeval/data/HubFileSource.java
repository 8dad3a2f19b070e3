package ai.assay.core.alpacaeval.data;

import java.nio.file.Path;

/** Gives a file of a Hugging Face dataset repository as a local path, downloading and caching it as needed. */
public interface HubFileSource {

    /**
     * @throws IllegalStateException naming the file and why, when it is not cached and cannot be downloaded
     */
    Path datasetFile(String repository, String revision, String file);
}
