#include "backgroundpool.h"

#include <QThreadPool>

namespace nc::ui {

QThreadPool& backgroundPool() {
    static QThreadPool* pool = [] {
        auto* p = new QThreadPool; // lives to the end; its threads expire when idle
        p->setMaxThreadCount(2);
        p->setExpiryTimeout(10000);
        return p;
    }();
    return *pool;
}

} // namespace nc::ui
