package dev.spillway.gateway.redact;

import java.math.BigInteger;
import java.util.Locale;

/**
 * The check digits that tell a real card, IBAN or national id from a number of the same shape:
 * Luhn (ISO/IEC 7812), ISO 13616 mod-97, Verhoeff (Aadhaar), the Spanish DNI/NIE letter, the
 * Finnish HETU mod-31 and the Swedish personnummer (Luhn over ten digits). Each takes the matched
 * text with its separators. Stateless.
 */
final class Checksums {
    private static final int[][] VERHOEFF_D = {
            {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
            {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
            {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
            {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
    private static final int[][] VERHOEFF_P = {
            {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
            {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
            {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
    private static final String DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";
    private static final String HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY";

    private Checksums() {
    }

    static String digits(CharSequence s) {
        StringBuilder d = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) if (Character.isDigit(s.charAt(i))) d.append(s.charAt(i));
        return d.toString();
    }

    static boolean luhn(CharSequence candidate) {
        String d = digits(candidate);
        return d.length() >= 13 && d.length() <= 19 && luhnSum(d) % 10 == 0;
    }

    private static int luhnSum(String d) {
        int sum = 0;
        for (int i = d.length() - 1, n = 0; i >= 0; i--, n++) {
            int v = d.charAt(i) - '0';
            if (n % 2 == 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
            sum += v;
        }
        return sum;
    }

    /** ISO 13616: move the first four characters to the end, letters to 10-35, mod 97 is 1. */
    static boolean iban(CharSequence candidate) {
        String s = candidate.toString().replace(" ", "").toUpperCase(Locale.ROOT);
        if (s.length() < 15 || s.length() > 34) return false;
        String moved = s.substring(4) + s.substring(0, 4);
        StringBuilder n = new StringBuilder(moved.length() * 2);
        for (char c : moved.toCharArray()) n.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        return new BigInteger(n.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    static boolean verhoeff(CharSequence candidate) {
        String d = digits(candidate);
        int c = 0;
        for (int i = 0; i < d.length(); i++) {
            c = VERHOEFF_D[c][VERHOEFF_P[i % 8][d.charAt(d.length() - 1 - i) - '0']];
        }
        return d.length() == 12 && c == 0;
    }

    /** Spanish DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): the letter is number mod 23. */
    static boolean dni(CharSequence candidate) {
        String s = candidate.toString().replace("-", "").toUpperCase(Locale.ROOT);
        char first = s.charAt(0);
        String number = first == 'X' ? "0" + s.substring(1, 8) : first == 'Y' ? "1" + s.substring(1, 8)
                : first == 'Z' ? "2" + s.substring(1, 8) : s.substring(0, 8);
        return DNI_LETTERS.charAt(Integer.parseInt(number) % 23) == s.charAt(s.length() - 1);
    }

    /** Finnish HETU DDMMYYCNNNX: X is DDMMYYNNN mod 31. */
    static boolean hetu(CharSequence candidate) {
        String s = candidate.toString().toUpperCase(Locale.ROOT);
        if (!validDate(s.substring(0, 2), s.substring(2, 4))) return false;
        long n = Long.parseLong(s.substring(0, 6) + s.substring(7, 10));
        return HETU_CHECK.charAt((int) (n % 31)) == s.charAt(10);
    }

    /** Swedish personnummer [YY]YYMMDD-NNNC: Luhn over the last ten digits, a valid month and day. */
    static boolean personnummer(CharSequence candidate) {
        String d = digits(candidate);
        String ten = d.substring(d.length() - 10);
        int day = Integer.parseInt(ten.substring(4, 6));
        // Coordination numbers add 60 to the day.
        String dd = String.format(Locale.ROOT, "%02d", day > 60 ? day - 60 : day);
        return validDate(dd, ten.substring(2, 4)) && luhnSum(ten) % 10 == 0;
    }

    private static boolean validDate(String day, String month) {
        int d = Integer.parseInt(day);
        int m = Integer.parseInt(month);
        return d >= 1 && d <= 31 && m >= 1 && m <= 12;
    }
}
