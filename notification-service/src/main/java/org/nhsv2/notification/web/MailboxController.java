package org.nhsv2.notification.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.nhsv2.notification.mailbox.Mailbox;
import org.nhsv2.platform.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The local mailbox, so that a developer or tester sees what patients would have received. It holds
 * personal data, hence ADMIN only ({@code SecurityConfig}); with SendGrid configured it keeps nothing
 * and answers 404.
 */
@RestController
@Tag(name = "Mailbox")
class MailboxController {

    static final int MAX_PAGE_SIZE = 100;

    private final Mailbox mailbox;

    MailboxController(Mailbox mailbox) {
        this.mailbox = mailbox;
    }

    @GetMapping("/api/mailbox")
    @Operation(summary = "Emails kept for a recipient, newest first",
            description = "Only while no SendGrid key is configured: emails are then kept here instead of sent.")
    @ApiResponse(responseCode = "200", description = "The recipient's emails, possibly none")
    @ApiResponse(responseCode = "404", description = "Emails are sent through SendGrid; no mailbox is kept",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    MailboxPage emails(
            @Parameter(description = "The address the emails were for; compared case-insensitively")
            @RequestParam @NotBlank @Size(max = 254) String recipient,
            @Parameter(description = "How many of the newest emails to return")
            @RequestParam(defaultValue = "20") @Min(1) @Max(MAX_PAGE_SIZE) int limit) {
        if (!mailbox.inUse()) {
            throw new ErrorResponseException(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, "mailbox-disabled",
                    "No mailbox", "Emails are sent through SendGrid; none are kept here"), null);
        }
        String address = recipient.strip();
        return new MailboxPage(address, mailbox.newestFor(address, limit));
    }
}
