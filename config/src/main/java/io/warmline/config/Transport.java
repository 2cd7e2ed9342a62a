package io.warmline.config;

/** SIP transports; written in lower case in the config file. */
public enum Transport {
    UDP, TCP, TLS
}
