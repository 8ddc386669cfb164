package org.nhsv2.platform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** @param maxBody the largest request body read; a larger one is answered 413 before it is parsed */
@ConfigurationProperties("nhsv2.web")
public record RequestLimits(@DefaultValue("64KB") DataSize maxBody) {
}
