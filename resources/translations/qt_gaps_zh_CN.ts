<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!--
  Strings of Qt's own dialogs that the qtbase_zh_CN.qm shipped with PySide6 does not translate (its catalogue has
  "Look in:" while Qt asks for "&Look in:", and it lacks the folder type and a few print-dialog labels). The program
  loads this catalogue after qtbase_zh_CN (gui/app.py load_translations). Rebuild the .qm after an edit:
      pyside6-lrelease resources/translations/qt_gaps_zh_CN.ts -qm resources/translations/qt_gaps_zh_CN.qm
  (tests/gui/test_translations.py checks that the .qm matches this file).
-->
<TS version="2.1" language="zh_CN">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <comment>All other platforms</comment>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>File Folder</source>
        <comment>Match Windows Explorer</comment>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>驱动器</translation>
    </message>
</context>
<context>
    <name>QPageSetupWidget</name>
    <message>
        <source>Page &amp;order:</source>
        <translation>页面顺序(&amp;O)：</translation>
    </message>
    <message>
        <source>Pages &amp;per sheet:</source>
        <translation>每张纸打印页数(&amp;P)：</translation>
    </message>
</context>
<context>
    <name>QPrintSettingsOutput</name>
    <message>
        <source>Page &amp;Set:</source>
        <translation>打印哪些页(&amp;S)：</translation>
    </message>
</context>
</TS>
