package dev.payproc.core.model;

/** How the card data reached the terminal. */
public enum EntryMode {
    CHIP,
    CONTACTLESS,
    MAGSTRIPE,
    ECOMMERCE,
    MANUAL
}
