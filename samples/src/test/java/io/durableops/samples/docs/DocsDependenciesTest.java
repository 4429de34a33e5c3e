package io.durableops.samples.docs;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the Maven blocks of the pages a new user pastes from in step with the build: every dependency and plugin in an
 * {@code xml} block has the version this repository builds and tests with (a block without one breaks a pom pasted into;
 * a different one is a combination nobody ran), except Durable Ops' own modules under an imported {@code durable-ops-bom}.
 */
class DocsDependenciesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> PAGES = List.of("README.md", "docs/getting-started.md", "docs/testing.md", "docs/faq.md");
    private static final Pattern XML_BLOCK = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyDependencyAndPluginOfThePagesHasTheBuildsVersion() throws Exception {
        Document parent = parse(Files.readString(ROOT.resolve("pom.xml")));
        Map<String, String> tested = testedVersions(parent);
        List<String> checked = new ArrayList<>();
        for (String page : PAGES) {
            Matcher block = XML_BLOCK.matcher(Files.readString(ROOT.resolve(page)));
            while (block.find()) {
                Document xml = parse("<block>" + block.group(1) + "</block>");
                boolean bomImported = false;
                for (Element dependency : elements(xml, "dependency")) {
                    if (child(dependency, "artifactId").equals("durable-ops-bom")) bomImported = true;
                }
                for (String kind : List.of("dependency", "plugin")) {
                    for (Element element : elements(xml, kind)) {
                        String group = child(element, "groupId").isEmpty() && kind.equals("plugin") ? "org.apache.maven.plugins" : child(element, "groupId");
                        String coordinates = group + ":" + child(element, "artifactId");
                        String version = child(element, "version");
                        if (version.isEmpty() && bomImported && group.equals("io.durableops")) continue;
                        assertThat(version).as("%s: %s needs a <version>", page, coordinates).isNotEmpty();
                        String expected = tested.getOrDefault(coordinates, bomVersion(tested, group));
                        assertThat(expected).as("%s: %s is not a dependency or plugin of this build", page, coordinates).isNotNull();
                        assertThat(version).as("%s: %s", page, coordinates).isEqualTo(expected);
                        checked.add(page + ":" + coordinates);
                    }
                }
            }
        }
        assertThat(checked).as("blocks checked").contains("docs/getting-started.md:io.durableops:durable-ops-bom",
                "docs/getting-started.md:org.slf4j:slf4j-simple", "docs/testing.md:com.h2database:h2",
                "docs/testing.md:org.apache.maven.plugins:maven-surefire-plugin");
    }

    /**
     * group:artifact to version, for our own modules, what the parent manages and the plugins it pins; and group:* for the
     * groups whose versions come from a BOM the parent imports.
     */
    private static Map<String, String> testedVersions(Document parent) {
        Map<String, String> properties = new HashMap<>();
        for (Element block : elements(parent, "properties")) {
            NodeList children = block.getChildNodes();
            for (int i = 0; i < children.getLength(); i++) {
                if (children.item(i) instanceof Element property) properties.put(property.getTagName(), property.getTextContent().trim());
            }
        }
        String projectVersion = child(parent.getDocumentElement(), "version");
        properties.put("project.version", projectVersion);
        Map<String, String> versions = new HashMap<>();
        versions.put("io.durableops:durable-ops-bom", projectVersion);
        List<String[]> importedBoms = new ArrayList<>();
        for (Element dependency : elements(parent, "dependency")) {
            String version = resolve(child(dependency, "version"), properties);
            if (version.isEmpty()) continue;
            if (child(dependency, "scope").equals("import")) importedBoms.add(new String[]{child(dependency, "groupId"), version});
            else versions.put(child(dependency, "groupId") + ":" + child(dependency, "artifactId"), version);
        }
        for (Element plugin : elements(parent, "plugin")) {
            String group = child(plugin, "groupId").isEmpty() ? "org.apache.maven.plugins" : child(plugin, "groupId");
            if (!child(plugin, "version").isEmpty()) versions.put(group + ":" + child(plugin, "artifactId"), child(plugin, "version"));
        }
        // an artifact managed by an imported BOM (JUnit's, Jackson's) has that BOM's version; BOMs are named by group
        for (String[] bom : importedBoms) versions.put(bom[0] + ":*", bom[1]);
        return versions;
    }

    /** The version of the imported BOM whose group {@code group} belongs to (org.junit.jupiter to org.junit), or null. */
    private static String bomVersion(Map<String, String> tested, String group) {
        return tested.entrySet().stream()
                .filter(e -> e.getKey().endsWith(":*") && group.startsWith(e.getKey().substring(0, e.getKey().length() - 2)))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static String resolve(String value, Map<String, String> properties) {
        Matcher property = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
        return property.matches() ? properties.getOrDefault(property.group(1), value) : value;
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    private static List<Element> elements(Document document, String tag) {
        NodeList nodes = document.getElementsByTagName(tag);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) elements.add((Element) nodes.item(i));
        return elements;
    }

    private static String child(Element element, String tag) {
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child && child.getTagName().equals(tag)) return child.getTextContent().trim();
        }
        return "";
    }
}
