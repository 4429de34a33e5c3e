package io.durableops.samples.release;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The poms say what a release needs (name, description, url, licence, scm, developers), and the BOM, which repeats them
 * because it has no parent, stays in step with the parent: same version and metadata, every published module managed,
 * the same Jackson version.
 */
class ReleaseMetadataTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyPomHasANameAndADescription() throws Exception {
        for (String module : modulesAndRoot()) {
            Document pom = pom(module);
            assertThat(text(pom, "/project/name")).as("%s: name", module).isNotBlank();
            assertThat(text(pom, "/project/description")).as("%s: description", module).isNotBlank();
        }
    }

    @Test
    void theParentStatesUrlLicenceScmAndDevelopers() throws Exception {
        Document parent = pom(".");

        assertThat(text(parent, "/project/url")).isEqualTo("https://github.com/durable-ops/durable-ops");
        assertThat(text(parent, "/project/licenses/license/name")).isEqualTo("Apache-2.0");
        assertThat(text(parent, "/project/scm/url")).isEqualTo("https://github.com/durable-ops/durable-ops");
        assertThat(text(parent, "/project/developers/developer/name")).isEqualTo("The Durable Ops developers");
        assertThat(text(parent, "/project/@child.project.url.inherit.append.path")).as("modules share the url").isEqualTo("false");
    }

    @Test
    void theBomHasTheParentsVersionAndMetadata() throws Exception {
        Document parent = pom(".");
        Document bom = pom("bom");

        assertThat(text(bom, "/project/parent/artifactId")).as("a BOM with a parent would import the parent's versions too").isEmpty();
        assertThat(text(bom, "/project/artifactId")).isEqualTo("durable-ops-bom");
        for (String field : List.of("groupId", "version", "url", "licenses/license/name", "licenses/license/url", "scm/url",
                "scm/connection", "developers/developer/name")) {
            assertThat(text(bom, "/project/" + field)).as("bom: %s", field).isEqualTo(text(parent, "/project/" + field));
        }
        assertThat(text(bom, "/project/properties/jackson.version")).isEqualTo(text(parent, "/project/properties/jackson.version"));
    }

    @Test
    void theBomManagesEveryPublishedModuleAtTheProjectVersion() throws Exception {
        List<String> published = new ArrayList<>();
        for (String module : modules()) {
            Document pom = pom(module);
            boolean jar = text(pom, "/project/packaging").isEmpty() || text(pom, "/project/packaging").equals("jar");
            if (jar && !text(pom, "/project/properties/maven.deploy.skip").equals("true")) published.add(text(pom, "/project/artifactId"));
        }
        Document bom = pom("bom");
        NodeList managed = nodes(bom, "/project/dependencyManagement/dependencies/dependency[groupId='io.durableops']");
        List<String> inBom = new ArrayList<>();
        for (int i = 0; i < managed.getLength(); i++) {
            assertThat(text(managed.item(i), "version")).isEqualTo("${project.version}");
            inBom.add(text(managed.item(i), "artifactId"));
        }

        assertThat(published).as("published modules").contains("durable-ops-core", "durable-ops-jobrunr", "durable-ops-admin-ui")
                .doesNotContain("durable-ops-samples", "durable-ops-bench", "durable-ops-reliability");
        assertThat(inBom).containsExactlyInAnyOrderElementsOf(published);
    }

    private static List<String> modules() throws Exception {
        NodeList modules = nodes(pom("."), "/project/modules/module");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < modules.getLength(); i++) names.add(modules.item(i).getTextContent().trim());
        return names;
    }

    private static List<String> modulesAndRoot() throws Exception {
        List<String> all = new ArrayList<>(modules());
        all.add(".");
        return all;
    }

    private static Document pom(String module) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve(module).resolve("pom.xml").toFile());
    }

    private static String text(Object node, String path) throws Exception {
        return ((String) XPathFactory.newInstance().newXPath().evaluate(path, node, XPathConstants.STRING)).trim();
    }

    private static NodeList nodes(Object node, String path) throws Exception {
        return (NodeList) XPathFactory.newInstance().newXPath().evaluate(path, node, XPathConstants.NODESET);
    }
}
