package org.nhsv2.platform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * @param timeout   how long a write waits for the read side before answering 202 instead
 * @param readEvery how long it waits for the projection's word before it reads the view itself (and
 *                  then again at that interval): the word does not come when another instance ran
 *                  the projection
 */
@ConfigurationProperties("nhsv2.read-your-writes")
public record ReadYourWritesSettings(@DefaultValue("2s") Duration timeout, @DefaultValue("250ms") Duration readEvery) {
}
