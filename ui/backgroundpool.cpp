#include "backgroundpool.h"

#include <QCoreApplication>
#include <QThreadPool>

#include <atomic>

namespace nc::ui {

namespace {
std::atomic<bool> quitting{false};
} // namespace

bool backgroundPoolQuitting() {
    return quitting.load();
}

QThreadPool& backgroundPool() {
    static QThreadPool* pool = [] {
        // Owned by the application, and drained when it quits: work still running must end
        // before the libraries it uses (OpenCV's thread-local state) are torn down.
        auto* p = new QThreadPool(QCoreApplication::instance());
        p->setMaxThreadCount(2);
        p->setExpiryTimeout(10000);
        QObject::connect(QCoreApplication::instance(), &QCoreApplication::aboutToQuit, p, [p] {
            p->clear();
            quitting = true;
            p->waitForDone();
        });
        return p;
    }();
    return *pool;
}

} // namespace nc::ui
