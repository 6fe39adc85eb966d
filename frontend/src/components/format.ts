/** A price from the API (a decimal string) for people: "Free" or "$49.00". */
export function formatPrice(price: string, currency = "usd"): string {
  const amount = Number(price);
  if (amount === 0) return "Free";
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(amount);
}

/**
 * A date from the API (ISO 8601) for people: "December 7, 2026". In UTC, the server's time zone,
 * so a certificate's page shows the day its PDF shows.
 */
export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" }).format(new Date(iso));
}
