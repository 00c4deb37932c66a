/**
 * Replaces secret values wherever they appear in text, by value: a secret that slips into an error
 * message from a library, a nested object or a stack trace is masked all the same.
 */
export const REDACTED = '[REDACTED]';

export class Redactor {
  private patterns: string[] = [];

  constructor(secrets: readonly string[] = []) {
    this.setSecrets(secrets);
  }

  setSecrets(secrets: readonly string[]): void {
    const forms = new Set<string>();
    for (const secret of secrets) {
      if (!secret) continue;
      forms.add(secret);
      // Serialised to JSON, a secret with quotes or backslashes no longer matches its raw form.
      forms.add(JSON.stringify(secret).slice(1, -1));
    }
    // Longest first, so a secret containing another is masked whole.
    this.patterns = [...forms].sort((a, b) => b.length - a.length);
  }

  get active(): boolean {
    return this.patterns.length > 0;
  }

  redact(text: string): string {
    let out = text;
    for (const pattern of this.patterns) {
      if (out.includes(pattern)) out = out.split(pattern).join(REDACTED);
    }
    return out;
  }
}
