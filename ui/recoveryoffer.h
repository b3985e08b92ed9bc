#pragma once
// Start-up crash recovery. Before anything else opens, every orphaned recovery file
// (orphanedrecovery.h) is offered, newest first; each one the user restores gets a window of
// its own, so a file or example named on the command line opens beside it and never replaces
// it. The question is a function, so that tests (and the app's NETCANVAS_RECOVERY_ANSWER hook)
// answer it without a dialog.
//
//   RecoveryOffer offer = offerRecoveries({}, askWithDialog);
//   for (auto& window : offer.windows)
//       window.release()->show();

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <vector>

namespace nc::ui {

class MainWindow;

enum class RecoveryAnswer {
    Restore, // open it in a window (unsaved, named after its file)
    Discard, // delete it for good
    Later,   // leave it on disk; offered again at the next start
};

struct RecoveryQuestion {
    QString originalPath; // empty for a graph that was never saved
    QDateTime savedAt;    // the last autosave
    int index = 1;        // "1 of 3" when several are offered
    int count = 1;
};

using AskRecovery = std::function<RecoveryAnswer(const RecoveryQuestion&)>;

// The dialog: Restore (default), Discard, Keep for Later (also Escape and closing the box).
RecoveryAnswer askWithDialog(const RecoveryQuestion& question);

struct RecoveryOffer {
    std::vector<std::unique_ptr<MainWindow>> windows; // one per restored file, not yet shown
    QStringList problems; // orphans that could not be read: kept on disk, reported here
};

// `directory`: where recovery files live (default: RecoveryStore::defaultDirectory()); the
// windows made for restored files keep theirs there too.
RecoveryOffer offerRecoveries(const QString& directory, const AskRecovery& ask);

} // namespace nc::ui
