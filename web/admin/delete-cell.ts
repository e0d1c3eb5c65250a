// Deleting, always after asking, in the page's own dialog: window.confirm
// cannot name its button "Hapus", and on phones it looks like an alarm.
import { button, byId, element } from "../shared/element.ts";
import { showError } from "./status.ts";

function confirmDelete(message: string): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>("confirm");
  byId("confirm-message").textContent = message;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
  });
}

/** A table cell with a "Hapus" button that asks `question` first, then runs `remove`; failures show in `errors`. */
export function deleteCell(
  label: string,
  question: string,
  remove: () => Promise<void>,
  errors: HTMLElement,
): HTMLTableCellElement {
  const control = button("Hapus", "danger small", label);
  control.addEventListener("click", async () => {
    if (!(await confirmDelete(question))) return;
    try {
      await remove();
    } catch (error) {
      showError(errors, error);
    }
  });
  const cell = element("td", "action");
  cell.append(control);
  return cell;
}
