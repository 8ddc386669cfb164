package org.nhsv2.notification.template;

import org.nhsv2.contracts.EmailAttachment;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.contracts.EmailTemplate;
import org.springframework.context.NoSuchMessageException;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes each {@link EmailTemplate} from its files under {@code templates/email/}: {@code <name>.html}
 * (Thymeleaf HTML mode, which escapes every value) and {@code <name>.txt} (text mode), named after the
 * template ({@code APPOINTMENT_CONFIRMATION} is {@code appointment-confirmation}), and its subject from
 * {@code messages.properties}. English only for now: the request's locale is not used yet.
 */
@Component
public class EmailRenderer {

    static final String LOCATION = "templates/email/";
    private static final Locale ENGLISH = Locale.UK;

    private final TemplateEngine html;
    private final TemplateEngine text;
    private final ResourceBundleMessageSource subjects = new ResourceBundleMessageSource();
    private final Set<EmailTemplate> written = EnumSet.noneOf(EmailTemplate.class);

    public EmailRenderer() {
        this(LOCATION);
    }

    /** With templates from another place: tests see what happens to a template without files. */
    EmailRenderer(String location) {
        html = engine(location, TemplateMode.HTML, ".html");
        text = engine(location, TemplateMode.TEXT, ".txt");
        subjects.setBasename(location + "messages");
        subjects.setDefaultEncoding("UTF-8");
        subjects.setFallbackToSystemLocale(false);
        for (EmailTemplate template : EmailTemplate.values()) {
            if (hasFiles(location, template)) {
                written.add(template);
            }
        }
    }

    /** Whether this service can write emails of {@code template}. */
    public boolean writes(EmailTemplate template) {
        return written.contains(template);
    }

    /** @throws InvalidEmailRequestException when the template has no files or the model does not fit it */
    public RenderedEmail render(EmailRequested request) {
        EmailTemplate template = request.template();
        if (!writes(template)) {
            throw new InvalidEmailRequestException("no email is written for template " + template);
        }
        EmailModel model = EmailModel.of(template, request.model());
        String subject = subjects.getMessage("subject." + name(template), new Object[]{model.subjectValue()}, ENGLISH);
        Map<String, Object> variables = model.variables();
        variables.put("subject", subject);
        variables.put("hasInvitation", hasInvitation(request.attachments()));
        Context context = new Context(ENGLISH, variables);
        return new RenderedEmail(subject, text.process(name(template), context), html.process(name(template), context));
    }

    private boolean hasFiles(String location, EmailTemplate template) {
        String name = name(template);
        if (!new ClassPathResource(location + name + ".html").exists() || !new ClassPathResource(location + name + ".txt").exists()) {
            return false;
        }
        try {
            subjects.getMessage("subject." + name, null, ENGLISH);
            return true;
        } catch (NoSuchMessageException e) {
            return false;
        }
    }

    private static boolean hasInvitation(List<EmailAttachment> attachments) {
        return attachments.stream().anyMatch(attachment -> attachment.contentType().toLowerCase(Locale.ROOT)
                .startsWith("text/calendar"));
    }

    static String name(EmailTemplate template) {
        return template.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static TemplateEngine engine(String location, TemplateMode mode, String suffix) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(EmailRenderer.class.getClassLoader());
        resolver.setPrefix(location);
        resolver.setSuffix(suffix);
        resolver.setTemplateMode(mode);
        resolver.setCharacterEncoding("UTF-8");
        // Spring's engine: expressions in SpEL, which Spring brings, rather than OGNL, which nothing here does.
        TemplateEngine engine = new SpringTemplateEngine();
        engine.setTemplateResolver(resolver);
        return engine;
    }
}
