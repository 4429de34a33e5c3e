package io.durableops.samples.downloads;

import io.durableops.core.Flow;
import io.durableops.core.OperationDefinition;
import io.durableops.core.StepOptions;

/**
 * standard_procedure_operations' download flowchart: check the user's access, then the monthly download limit, then
 * whether the account scrambles filenames, and return the filename to send. Each "no" ends the operation as FAILED
 * with its reason ("unauthorised", "download_limit_reached").
 */
public final class PrepareDocumentForDownload implements OperationDefinition {
    public static final String NAME = "prepare-document-for-download";

    /** What the flowchart asks of the application. */
    public interface Policy {
        boolean canRead(String user, String document);

        boolean withinDownloadLimits(String user);

        String scrambledName(String document);
    }

    private final Policy policy;

    public PrepareDocumentForDownload(Policy policy) {
        this.policy = policy;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void define(Flow flow) {
        flow.requires("user", "document", "useFilenameScrambler")
                .decision("authorised?", ctx -> policy.canRead(ctx.get("user", String.class), ctx.get("document", String.class)),
                        "within-download-limits?", "unauthorised")
                .decision("within-download-limits?", ctx -> policy.withinDownloadLimits(ctx.get("user", String.class)),
                        "use-filename-scrambler?", "download-limit-reached")
                .decision("use-filename-scrambler?", ctx -> ctx.get("useFilenameScrambler", Boolean.class), "scramble-filename", "return-filename")
                .action("scramble-filename", ctx -> ctx.set("filename", policy.scrambledName(ctx.get("document", String.class))),
                        StepOptions.then("return-filename"))
                .result("return-filename", (ctx, results) -> results.put("filename",
                        ctx.find("filename", String.class).orElse(ctx.get("document", String.class))))
                .failure("unauthorised", "unauthorised")
                .failure("download-limit-reached", "download_limit_reached");
    }
}
