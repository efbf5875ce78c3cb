package dev.payproc.core.model;

/** One leg of a double-entry posting: {@code direction} is 'D' (debit) or 'C' (credit). */
public record Posting(String account, char direction, long amount) {
    public static final String CARDHOLDER_FUNDING = "cardholder_funding";
    public static final String MERCHANT_PAYABLE = "merchant_payable";
    public static final String FEE_INCOME = "fee_income";
    /** Money held while a dispute is open: taken from the merchant, returned to it (won) or to the cardholder (lost). */
    public static final String DISPUTE = "dispute";
}
