#!/bin/sh
# @NAME@ launcher, installed as /usr/bin/@PROGRAM@ by the @NAME@ package.
#
# The bundle in /opt/@NAME@ carries its own Qt 6.9, with the X11 platform plugin but not Wayland's: on a Wayland
# session the window goes through XWayland (UOS and Kylin desktops are X11 anyway).
if [ -z "${QT_QPA_PLATFORM:-}" ] && [ "${XDG_SESSION_TYPE:-}" = "wayland" ]; then
    QT_QPA_PLATFORM=xcb
    export QT_QPA_PLATFORM
fi
# Chinese input: the bundled Qt has the ibus input plugin but no fcitx one (a fcitx plugin must be built against
# this exact Qt).  fcitx5 also answers as ibus, so under fcitx5 the ibus plugin is used.  fcitx 4 has no such
# bridge: see docs/packaging.md.  JIXIAO_KEEP_IM_MODULE=1 leaves QT_IM_MODULE alone.
case "${QT_IM_MODULE:-}" in
    fcitx|fcitx5)
        if [ -z "${JIXIAO_KEEP_IM_MODULE:-}" ] && pgrep -x fcitx5 >/dev/null 2>&1; then
            QT_IM_MODULE=ibus
            export QT_IM_MODULE
        fi
        ;;
esac
exec /opt/@NAME@/@PROGRAM@ "$@"
