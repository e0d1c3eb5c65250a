// Asks before anything is deleted, in the page's own dialog: window.confirm
// cannot name its button "Hapus", and on phones it looks like an alarm.
import { byId } from "../shared/element.ts";

export function confirmDelete(message: string): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>("confirm");
  byId("confirm-message").textContent = message;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
  });
}
