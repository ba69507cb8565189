Attribute VB_Name = "CSQRibbon"
Option Explicit
' CSQ ribbon callbacks: each button passes its id to Python, where
' addin.excel.ribbon.on_button(id) does the work and shows any error as one message.
' Built into dist/csq.xlam by build/build_addin.py; do not edit inside Excel.

Sub OnButton(control As IRibbonControl)
    RunPython "import addin.excel.ribbon; addin.excel.ribbon.on_button('" & control.ID & "')"
End Sub
