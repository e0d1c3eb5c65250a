// What a page tells screen-reader users: each page has one polite live region
// (`<div id="announcer" role="status">`) that says what just happened.

export function announce(text: string): void {
  const announcer = document.getElementById("announcer");
  if (announcer) announcer.textContent = text;
}
