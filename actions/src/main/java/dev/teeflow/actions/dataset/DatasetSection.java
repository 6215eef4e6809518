package dev.teeflow.actions.dataset;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.NamedBlocks;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.SectionType;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code dataset:} section: one entry per dataset, each expanded into its steps by a list of
 * {@link DatasetStepContributor}s ({@code dataset.<name>.encrypt}, {@code dataset.<name>.publish};
 * deploy and push-secret append theirs to {@link #CONTRIBUTORS}).
 *
 * <pre>
 * dataset:
 *   emails:
 *     file: datasets/original/emails.xlsx
 *     key: env:DATASET_KEY            # optional: bring an existing key
 *     publish:
 *       git: { remote: https://github.com/me/data.git, path: emails.xlsx.enc, token: env:GH_TOKEN }
 * </pre>
 */
public final class DatasetSection implements SectionType {
    /** Every concern that adds steps per dataset, in the order their steps are emitted. */
    static final List<DatasetStepContributor> CONTRIBUTORS = List.of(new EncryptContributor(), new PublishContributor(),
            new DatasetChainContributors.Deploy(), new DatasetChainContributors.PushSecret(), new DatasetChainContributors.Order());

    private final List<DatasetStepContributor> contributors;

    public DatasetSection() {
        this(CONTRIBUTORS);
    }

    DatasetSection(List<DatasetStepContributor> contributors) {
        this.contributors = List.copyOf(contributors);
    }

    @Override
    public String key() {
        return "dataset";
    }

    @Override
    public String doc() {
        return "Datasets: each named block encrypts a file in iExec's format and, with publish:, makes the "
                + "ciphertext downloadable (git, http, file or ipfs); deploy:, push-secret and order: put it on "
                + "chain. Example: dataset: { emails: { file: data/emails.xlsx, publish: { git: { remote: "
                + "https://github.com/me/data.git, token: env:GH_TOKEN } }, deploy: true } }.";
    }

    @Override
    public java.util.Map<String, String> makes() {
        return dev.teeflow.engine.spi.SectionSteps.of(
                "dataset.<name>.encrypt", "dataset.encrypt",
                "dataset.<name>.publish", "dataset.publish",
                "dataset.<name>.deploy", "dataset.deploy",
                "dataset.<name>.push-secret", "sms.dataset-key",
                "dataset.<name>.order", "order.publish");
    }

    @Override
    public void expand(ConfigNode section, ConfigNode root, Problems problems, Consumer<StepSpec> emit) {
        NamedBlocks.forEach(section, problems, "dataset", "{ emails: { file: data/emails.csv } }", "file, key, publish, deploy",
                (name, node) -> {
            MapReader fields = new MapReader(node, problems);
            DatasetBlock dataset = new DatasetBlock(name, node, root);
            for (DatasetStepContributor c : contributors) {
                c.contribute(dataset, fields, problems, emit);
            }
            fields.rejectUnknownKeys();
        });
    }
}
