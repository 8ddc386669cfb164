package org.nhsv2.platform.testing;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** A service's OpenAPI document, checked with a maintained parser (swagger-parser), as every service's must be. */
public final class OpenApiDocuments {

    private OpenApiDocuments() {
    }

    /** Parses and resolves every {@code $ref}; fails on any message the parser gives. */
    public static OpenAPI validated(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document, null, options);
        assertThat(parsed.getMessages()).as("the parser's messages").isEmpty();
        assertThat(parsed.getOpenAPI().getComponents().getSchemas()).containsKey("Problem");
        return parsed.getOpenAPI();
    }

    /** The tags of all operations; fails if any operation has none. */
    public static Set<String> tags(OpenAPI api) {
        Set<String> tags = new TreeSet<>();
        api.getPaths().forEach((path, item) -> item.readOperations().stream().map(Operation::getTags)
                .forEach(operationTags -> {
                    assertThat(operationTags).as("the tags of an operation on " + path).isNotEmpty();
                    tags.addAll(operationTags);
                }));
        return tags;
    }
}
