#pragma once
// The keyboard and mouse sheet (Help > Keyboard Shortcuts, F1): every menu action of the
// window that has a shortcut, read from the actions themselves so the sheet never goes
// stale, and the canvas gestures that have no menu entry.

class QWidget;
class QDialog;

namespace nc::ui {

// A non-modal dialog owned by `window`, listing its actions' shortcuts.
QDialog* createShortcutSheet(QWidget* window);

} // namespace nc::ui
