import { defineSignature } from '../../src/index.ts';

/**
 * Structured invoice extraction. The dates are ISO date strings (`string(format date)`), not Ax `date`
 * fields: `date` values are `Date` objects, which JSON turns into full timestamps that a `date` field then
 * rejects, so the signature would not survive `toJSON()` -> `signatureFromJSON()` or an HTTP round trip.
 */
export const extractInvoice = defineSignature({
  name: 'extract-invoice',
  version: '1.0.0',
  description: 'Extract vendor, dates, currency, line items and total from the text of an invoice.',
  instructions:
    'Copy identifiers such as the invoice number exactly as printed; write names in normal capitalization. ' +
    'Dates are ISO dates (YYYY-MM-DD); leave dueDate out ' +
    'when the invoice gives none. Amounts are plain numbers without currency symbols or thousands ' +
    'separators; currency is the ISO 4217 code. Include every line item in order. The total is the amount ' +
    'due including tax, as printed.',
  tags: ['extraction', 'finance', 'documents'],
  signature: `invoiceText:string "Text of the invoice, e.g. from OCR or a PDF export" ->
    vendorName:string "Name of the company that issued the invoice",
    invoiceNumber:string "Invoice identifier as printed",
    issueDate:string(format date) "Date the invoice was issued",
    dueDate?:string(format date) "Payment due date, when the invoice states one",
    currencyCode:string(min 3, max 3) "ISO 4217 code of the currency of all amounts, e.g. EUR",
    lineItems:object{ itemDescription:string, quantity:number(min 0), unitPrice:number(min 0), lineTotal:number(min 0) }[] "Billed items in printed order",
    totalAmount:number(min 0) "Total amount due, including tax"`,
  examples: [
    {
      inputs: {
        invoiceText:
          'Northwind Hosting GmbH\nInvoice NH-2024-0192\nDate: 2024-03-01  Due: 2024-03-31\n' +
          'VPS medium x 2 @ 40.00 = 80.00 EUR\nBackup add-on x 1 @ 12.50 = 12.50 EUR\nVAT 19%: 17.58\nTotal due: 110.08 EUR',
      },
      outputs: {
        vendorName: 'Northwind Hosting GmbH',
        invoiceNumber: 'NH-2024-0192',
        issueDate: '2024-03-01',
        dueDate: '2024-03-31',
        currencyCode: 'EUR',
        lineItems: [
          { itemDescription: 'VPS medium', quantity: 2, unitPrice: 40, lineTotal: 80 },
          { itemDescription: 'Backup add-on', quantity: 1, unitPrice: 12.5, lineTotal: 12.5 },
        ],
        totalAmount: 110.08,
      },
    },
    {
      inputs: {
        invoiceText:
          'BRIGHT PIXEL DESIGN LLC - INVOICE #1043 - issued June 5, 2024\nLogo redesign (flat fee) $1,200.00\n' +
          'Amount due upon receipt: $1,200.00',
      },
      outputs: {
        vendorName: 'Bright Pixel Design LLC',
        invoiceNumber: '1043',
        issueDate: '2024-06-05',
        currencyCode: 'USD',
        lineItems: [
          { itemDescription: 'Logo redesign (flat fee)', quantity: 1, unitPrice: 1200, lineTotal: 1200 },
        ],
        totalAmount: 1200,
      },
      note: 'No due date printed, so dueDate is absent; "$" means USD.',
    },
  ],
});
