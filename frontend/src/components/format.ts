/** A price from the API (a decimal string) for people: "Free" or "$49.00". */
export function formatPrice(price: string, currency = "usd"): string {
  const amount = Number(price);
  if (amount === 0) return "Free";
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(amount);
}
