export {
  createSignatureRegistry,
  type SignatureRegistry,
  type SignatureSummary,
} from './signature-registry.ts';
